/** Every line break Unicode defines: LF, VT, FF, CR, NEL, LS, PS. Readers disagree on which end a line. */
export const LINE_BREAKS = ['\n', '\v', '\f', '\r', '\u0085', '\u2028', '\u2029'] as const;

/** Text that breaks naive code generation: quotes, backticks, `${`, comment ends, newlines, unicode. */
export const HOSTILE = [
  'He said "hi"',
  "it's",
  'back`tick`',
  '${process.exit(1)}',
  'end */ of comment',
  '/* open comment',
  'line one\nline two\r\nline three',
  'unicode: ünïcødé — 日本語 🚀',
  'separators \u2028 and \u2029',
  '</script><script>alert(1)</script>',
  '\\ backslash \\n',
  '# not a comment: {{ mustache }} {{{triple}}}',
  '- yaml: [flow] {map} &anchor *alias !tag | > ? %',
  'null',
  '',
  'html --> comment <!-- end --!> here',
  // Each line break, followed by what a reader that ends the line there would take for a top-level YAML key,
  // a statement and a Dockerfile instruction.
  ...LINE_BREAKS.map((br) => `a${br}x-injected: pwned${br}process.exit(1);${br}RUN rm -rf /`),
];

/** The line breaks other than LF, as found raw in a text; generated files hold none (each reader sees the same lines). */
export function strayLineBreaks(text: string): string[] {
  return [...text.matchAll(/[\v\f\r\u0085\u2028\u2029]/g)].map((m) => `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at ${m.index}`);
}
