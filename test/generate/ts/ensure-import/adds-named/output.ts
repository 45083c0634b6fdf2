// bootstrap — user comment stays
import { loadConfig } from './config.js';
import { startOrderCreatedConsumer } from './consumers/order-created.js';

export async function main() {
  const config = loadConfig();
}
