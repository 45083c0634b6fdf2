/**
 * The hint every generator that writes compose.yaml gives about services
 * left off archkit's networks: a user's own entry (which `arch compose`
 * leaves alone), or archkit's entries in a file that predates the networks.
 */
import type { GeneratorContext } from './define-generator.js';

/**
 * Reports, on one line, the services of `composeFile` on no network of
 * archkit's. `warn` where the run may just have put new entries out of their
 * reach (a file that predates the networks), `info` for `arch compose`, which
 * has put archkit's own entries on them and leaves the user's alone.
 */
export async function reportOffTheNetworks(ctx: GeneratorContext<unknown>, composeFile: string, level: 'info' | 'warn'): Promise<void> {
  if (!ctx.tree.exists(composeFile)) return;
  // Loaded here, not at the top: definitions stay light for `arch --help`.
  const { offTheNetworks } = await import('./yaml/compose.js');
  ctx.editYaml(composeFile, (doc) => {
    const names = offTheNetworks(doc);
    if (names.length === 0) return false;
    const one = names.length === 1;
    ctx.log[level](
      `${composeFile}: ${names.join(', ')} ${one ? 'has' : 'have'} no \`networks:\`: on Compose's default network, ${one ? 'it' : 'they'} cannot reach the containers on \`backend\`, nor they ${one ? 'it' : 'them'}. ` +
        "If that is not what you want, add `networks: [backend]` (and `edge` to publish a port or reach the internet); `npx arch compose` does it for archkit's own entries.",
    );
    return false;
  });
}
