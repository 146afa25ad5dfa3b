const t0 = performance.now();
const { parseDocument, LineCounter, Lexer, Parser } = await import('yaml');
const t1 = performance.now();
const { readFileSync } = await import('node:fs');
const text = readFileSync(process.argv[2] ?? 'data/luolong-zwfwzx-2022.yaml', 'utf8');
const mode = process.argv[3] ?? 'doc';
const t2 = performance.now();
if (mode === 'lex') { let n = 0; for (const tok of new Lexer().lex(text)) n++; }
else if (mode === 'cst') { let n = 0; for (const tok of new Parser().parse(text)) n++; }
else parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: true, uniqueKeys: true });
const t3 = performance.now();
console.log(mode, 'import', (t1 - t0).toFixed(0), 'parse', (t3 - t2).toFixed(0));
