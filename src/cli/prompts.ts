/** The clack-backed `ask` handed to the engine. Cancelling (Ctrl-C) throws CancelledError (exit 130). */
import { CancelledError } from '../errors.js';
import type { Ask, Question } from '../generate/options.js';

export function clackAsk(): Ask {
  return async (question: Question) => {
    const clack = await import('@clack/prompts');
    let answer: unknown;
    switch (question.kind) {
      case 'text':
        answer = await clack.text({
          message: question.message,
          ...(question.initial === undefined ? {} : { initialValue: question.initial }),
          ...(question.placeholder === undefined ? {} : { placeholder: question.placeholder }),
          validate: (value) => question.validate(value ?? ''),
        });
        break;
      case 'confirm':
        answer = await clack.confirm({ message: question.message, initialValue: question.initial });
        break;
      case 'select':
        answer = await clack.select({
          message: question.message,
          options: question.choices.map((c) => ({ value: c.value, label: c.label ?? c.value, ...(c.hint ? { hint: c.hint } : {}) })),
          ...(question.initial === undefined ? {} : { initialValue: question.initial }),
        });
        break;
    }
    if (clack.isCancel(answer)) throw new CancelledError();
    return answer;
  };
}
