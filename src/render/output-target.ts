/**
 * What `render -o` names, judged before anything is rendered: a path ending in .pdf is one PDF;
 * anything else, and any path ending in a slash (`x.pdf/` too), is a folder. A path that cannot be
 * what it names (an existing file where a folder is meant, an existing folder where a PDF is meant,
 * an empty path) is refused up front, naming it, rather than failing after the render with ENOTDIR
 * or EISDIR, or writing into the current directory.
 */
import { statSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { isDirectory } from './batch-inputs.js';

/** `x.pdf` (any case) names a PDF; `x.pdf/` names a folder. */
export function isPdfPath(path: string): boolean {
  return extname(path).toLowerCase() === '.pdf' && !/[/\\]$/.test(path);
}

/**
 * Why `out` (the -o value; undefined: `defaultDir`) cannot take the render's output, as a sentence
 * naming it; undefined when it can (what does not exist yet is created).
 */
export function outputTargetProblem(out: string | undefined, defaultDir: string): string | undefined {
  if (out !== undefined && out.trim() === '') return '-o 后的路径为空；请给出输出 PDF（以 .pdf 结尾）或文件夹，或不写 -o（默认 output/）';
  const target = out ?? defaultDir;
  const named = out === undefined ? `输出文件夹 ${target}` : `-o ${target}`;
  if (!isPdfPath(target)) return notAFolder(target, named, true);
  if (isDirectory(target)) return `${named} 是已有的文件夹，不能写成 PDF 文件；要生成到这个文件夹中，请写 -o ${target}/`;
  return notAFolder(dirname(target), named, false);
}

/**
 * The folder `dir`, or the nearest of its parents that exists, is a file: nothing can be written
 * below it. `isTarget`: `dir` is the -o path itself (not the folder of a PDF path).
 */
function notAFolder(dir: string, named: string, isTarget: boolean): string | undefined {
  for (let path = dir; ; path = dirname(path)) {
    let folder: boolean;
    try {
      folder = statSync(path).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined; // e.g. no permission: the write will say so
      if (dirname(path) === path) return undefined;
      continue;
    }
    if (folder) return undefined;
    return path === dir && isTarget
      ? `${named} 是已有的文件，不是文件夹；输出到一个 PDF 时，路径须以 .pdf 结尾`
      : `${named}：${path} 是已有的文件，不是文件夹`;
  }
}
