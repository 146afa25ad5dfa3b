/**
 * The font roles a publication's text is set in. A module of its own, without fontkit, so that
 * template checking (`check`) can name the roles without loading any font machinery.
 */
export type FontRole = 'title' | 'heading' | 'subheading' | 'body' | 'table' | 'tableHeader';

export const FONT_ROLES: readonly FontRole[] = Object.freeze(['title', 'heading', 'subheading', 'body', 'table', 'tableHeader'] as const);
