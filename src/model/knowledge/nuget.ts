/** What NuGet packages (package id) dependencies give. */
import type { KnowledgeRow } from './row.js';

const rows: readonly KnowledgeRow[] = [];

export default rows;
