import { describe, expect, it } from 'vitest';
import { nextMove, type StepEvent, type StepStatus } from '../../src/sagas/choreography.js';

// What each event does to this service's part in a choreographed saga, from every state; no database needed.
describe('choreographed saga step', () => {
  it('runs the step on its turn, once', () => {
    expect(nextMove(null, 'turn')).toEqual({ kind: 'execute' });
    for (const status of ['done', 'refused', 'compensated', 'aborted'] as const) {
      expect(nextMove(status, 'turn')).toMatchObject({ kind: 'ignore' });
    }
  });

  it('compensates a done step when the next one is reverted, and reports it to the step before', () => {
    expect(nextMove('done', 'reverted')).toEqual({ kind: 'compensate', report: true });
  });

  it('compensates a done step when the saga is aborted, without reporting (every step was told)', () => {
    expect(nextMove('done', 'aborted')).toEqual({ kind: 'compensate', report: false });
  });

  it('closes a step whose turn has not come when the saga is aborted, so a late turn does not run it', () => {
    expect(nextMove(null, 'aborted')).toEqual({ kind: 'close' });
    expect(nextMove('aborted', 'turn')).toMatchObject({ kind: 'ignore' });
  });

  it('compensates at most once, and never a step that did not run', () => {
    const undo: StepEvent[] = ['reverted', 'aborted'];
    const settled: StepStatus[] = ['refused', 'compensated', 'aborted'];
    for (const event of undo) for (const status of settled) expect(nextMove(status, event)).toMatchObject({ kind: 'ignore' });
    expect(nextMove(null, 'reverted')).toMatchObject({ kind: 'ignore' });
  });
});
