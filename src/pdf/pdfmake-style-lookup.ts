/**
 * pdfmake's style lookups without the garbage.
 *
 * Why: pdfmake resolves about twenty style properties for every inline it measures, each through
 * `StyleContextStack.getStyleProperty`, which pushes the inline (and its style names) onto the
 * stack with a callback, walks the stack, and for every named style on it creates a closure and a
 * `Set` (to catch `extends` cycles). For a publication that is some 15 MB of garbage and a tenth
 * of pdfmake's layout time.
 *
 * How: the same walk, in the same order, reading the entries in place: the inline, then its style
 * names (last first), then the stack from the top, then the default style. A named style that
 * `extends` others goes through pdfmake's own cycle-safe recursion. Same answers, so the same PDF.
 */
import { pdfmakeClass } from './pdfmake-internals.js';

export type StyleEntry = string | Record<string, unknown>;
export type StyleDictionary = Record<string, Record<string, unknown> | undefined>;

interface StyleContextStack {
  styleDictionary: Record<string, Record<string, unknown> | undefined>;
  defaultStyle?: Record<string, unknown>;
  styleOverrides: StyleEntry[];
  getProperty(property: string): unknown;
}

interface StyleContextStackClass {
  prototype: StyleContextStack;
  getStyleProperty(item: unknown, stack: StyleContextStack | undefined, property: string, defaultValue: unknown): unknown;
}

/** pdfmake's isValue: anything but undefined and null. */
export function isValue(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function isString(value: unknown): value is string {
  return typeof value === 'string' || value instanceof String;
}

/** pdfmake's getStylePropertyFromStyle: a named style, following `extends` (last parent first), each style visited once. */
function fromExtendingStyle(dictionary: StyleContextStack['styleDictionary'], name: string, property: string, visited: Set<string>): unknown {
  if (visited.has(name)) return undefined;
  visited.add(name);
  const style = dictionary[name];
  if (!style) return undefined;
  if (isValue(style[property])) return style[property];
  if (style.extends) {
    const parents = (Array.isArray(style.extends) ? style.extends : [style.extends]) as string[];
    for (let i = parents.length - 1; i >= 0; i--) {
      const value = fromExtendingStyle(dictionary, parents[i]!, property, visited);
      if (isValue(value)) return value;
    }
  }
  return undefined;
}

/** The value one stack entry gives `property`: a style name looks in the dictionary, an object is its own override. */
export function entryValue(dictionary: StyleDictionary, entry: StyleEntry, property: string): unknown {
  if (!isString(entry)) return entry[property];
  const style = dictionary[entry];
  if (!style) return undefined;
  const value = style[property];
  if (isValue(value) || !style.extends) return value;
  return fromExtendingStyle(dictionary, entry, property, new Set());
}

/** StyleContextStack.prototype.getProperty: the topmost entry with a value, else the default style. */
function getProperty(this: StyleContextStack, property: string): unknown {
  const overrides = this.styleOverrides;
  if (overrides) {
    for (let i = overrides.length - 1; i >= 0; i--) {
      const value = entryValue(this.styleDictionary, overrides[i]!, property);
      if (isValue(value)) return value;
    }
  }
  return this.defaultStyle && this.defaultStyle[property];
}

/**
 * StyleContextStack.getStyleProperty: the item's own value, else what the stack would give with
 * the item pushed on it (autopush: nothing for a string or a section, else its style names, then itself).
 */
function getStyleProperty(item: unknown, stack: StyleContextStack | undefined, property: string, defaultValue: unknown): unknown {
  const own = (item as Record<string, unknown>)[property];
  if (isValue(own)) return own;
  if (!stack) return defaultValue;
  const node = item as Record<string, unknown>;
  // The item itself was looked at above; its style names come next.
  if (!isString(item) && typeof node.section === 'undefined') {
    if (node.style) {
      const names = (Array.isArray(node.style) ? node.style : [node.style]) as StyleEntry[];
      for (let i = names.length - 1; i >= 0; i--) {
        const value = entryValue(stack.styleDictionary, names[i]!, property);
        if (isValue(value)) return value;
      }
    }
  }
  const value = stack.getProperty(property);
  return isValue(value) ? value : defaultValue;
}

let installed = false;

/** Once per process: pdfmake's StyleContextStack looks styles up in place. */
export function installStyleLookup(): void {
  if (installed) return;
  const StyleContextStack = pdfmakeClass<StyleContextStackClass>('./StyleContextStack.js');
  StyleContextStack.prototype.getProperty = getProperty;
  StyleContextStack.getStyleProperty = getStyleProperty;
  installed = true;
}
