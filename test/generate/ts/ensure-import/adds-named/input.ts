// bootstrap — user comment stays
import { loadConfig } from './config.js';

export async function main() {
  const config = loadConfig();
}
