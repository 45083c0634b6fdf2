/** Kubernetes extractor. STUB: to be replaced (issue #3). */
import type { Diagnostic, KubernetesWorkload } from '../types.js';

/** Reads the given YAML files (relative paths), keeps the Kubernetes documents, and returns workloads with what targets them. */
export function readKubernetes(_root: string, _files: readonly string[], _diagnostics: Diagnostic[]): { workloads: KubernetesWorkload[]; files: string[] } {
  return { workloads: [], files: [] };
}
