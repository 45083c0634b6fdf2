/** Dockerfile extractor. STUB: to be replaced (issue #3). */
import type { Diagnostic, DockerfileFacts } from '../types.js';

export function readDockerfile(_root: string, _file: string, _diagnostics: Diagnostic[]): DockerfileFacts | null {
  return null;
}
