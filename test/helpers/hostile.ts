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
];
