/**
 * Where things live in a built site, read from builder/credpub/data/layout.json (the one table
 * Python's credpub.layout reads too). Paths are relative to the site root; pages prefix them
 * with the way up to it (`root`).
 */
import LAYOUT from '../../builder/credpub/data/layout.json' with {type: 'json'};

const fill = (pattern, values) => pattern.replace(/\{(\w+)\}/g, (m, key) => values[key]);
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const SLUG = '([A-Za-z0-9_-]+)';

/** The credential file beside a claim or share page. */
export const CREDENTIAL_FILE = LAYOUT.credential_file;
export const VERIFY_PAGE = LAYOUT.verify_page;
export const CERTIFICATE_PAGE = LAYOUT.certificate_page;
/** Where a did:web DID document lives: below the DID's path, or at the host root. */
export const DID_SUB_PATH = LAYOUT.did_document.sub_path;
export const DID_HOST_ROOT = LAYOUT.did_document.host_root;
/** The site's one script bundle. */
export const BUNDLE = `${LAYOUT.assets}credpub.js`;
/** An achievement's badge, in its page's folder of each language (Python: layout.badge_svg). */
export const BADGE_SVG = LAYOUT.badge_svg;

export const claimPage = (token) => fill(LAYOUT.claim_page, {token});
export const sharePage = (token) => fill(LAYOUT.share_page, {token});
export const achievementPage = (slug) => fill(LAYOUT.achievement_page, {slug});

/**
 * A file of an achievement's folder.
 * @param {string} slug
 * @param {'facts_file'|'badge_png'|'badge_svg'|'achievement_file'} file - its key in layout.json
 */
export const achievementFile = (slug, file) => achievementPage(slug) + LAYOUT[file];

/** A page in another language than the site's default: one folder deeper. */
export const languageVariant = (path, lang) => fill(LAYOUT.language_variant, {path, lang});

/** The way up from a page of this kind to the site root ("../../" from c/<token>/). */
export const rootOf = (page) => '../'.repeat(LAYOUT[page].split('/').length - 1);

/** The slug in an achievement page's path (achievements/<slug>/), or ''. */
export function slugOf(path) {
  return (new RegExp(`^${escape(LAYOUT.achievement_page).replace(escape('{slug}'), SLUG)}$`).exec(path) || ['', ''])[1];
}

/** The token of a share page's link or path (…/s/<token>/, a fragment allowed), or ''. */
export function shareTokenOf(url) {
  const prefix = escape(LAYOUT.share_page.split('{token}')[0]);
  return (new RegExp(`/${prefix}${SLUG}/?(?:#.*)?$`).exec(String(url || '')) || ['', ''])[1];
}

/**
 * A link from a share page to a site-wide page (verify/, certificate/), in any language:
 * [whole, way up, page name, query or fragment], or null.
 */
export function siteWideLink(href) {
  const names = [VERIFY_PAGE, CERTIFICATE_PAGE].map((page) => escape(page.slice(0, -1))).join('|');
  return new RegExp(`^(${escape(rootOf('share_page'))})(${names})/(?:[a-z]{2,3}/)?([?#].*)?$`).exec(href);
}
