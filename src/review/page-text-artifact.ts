/**
 * The text artifact written next to each PDF (`<name>.txt`): the text of every page under
 * a separator line naming the page, so a git diff of two releases reads page by page.
 */

export function pageSeparator(pageNumber: number): string {
  return `=== 第 ${pageNumber} 页 ===`;
}

const SEPARATOR = /^=== 第 (\d+) 页 ===$/;

/** Page texts (as extractPageTexts gives them) → the artifact's text, ending in a newline. */
export function formatPageTextArtifact(pages: readonly string[]): string {
  return pages.map((text, i) => (text ? `${pageSeparator(i + 1)}\n${text}\n` : `${pageSeparator(i + 1)}\n`)).join('\n');
}

/** The artifact's text → the page texts, so tests and tools can read it back. */
export function parsePageTextArtifact(artifact: string): string[] {
  const pages: string[][] = [];
  for (const line of artifact.replace(/\r\n?/g, '\n').split('\n')) {
    const match = SEPARATOR.exec(line);
    if (match && Number(match[1]) === pages.length + 1) pages.push([]);
    else if (pages.length > 0) pages[pages.length - 1]!.push(line);
  }
  return pages.map((lines) => {
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  });
}
