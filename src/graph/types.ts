import type { RepoModel } from '../model/types.js';

export interface GraphOptions {
  /** Draw databases and their owners. */
  databases: boolean;
  /** Draw topics and queues as nodes between producers and consumers. */
  channels: boolean;
}

/** A graph renderer is a pure function of the model, like a reporter. */
export type GraphRenderer = (model: RepoModel, options: GraphOptions) => string;
