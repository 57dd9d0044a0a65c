// The site's Content-Security-Policy as HTTP headers. Each page carries its own
// policy in a <meta> tag (www/lab.html, www/index.html, www/embed.html: the one definition);
// a header repeats it and adds what a meta tag cannot say: frame-ancestors, the
// pages that may embed gradlab in an iframe. By default any page may (course
// pages live on every origin); an instructor who hosts the site restricts it to
// their LMS with GRADLAB_FRAME_ANCESTORS (tools/serve.mjs) or by editing the
// `_headers` file that make_site.mjs writes (Netlify, Cloudflare Pages), e.g.
// frame-ancestors 'self' https://canvas.example.edu.
export const DEFAULT_FRAME_ANCESTORS = '*';

/** The policy of the <meta http-equiv="Content-Security-Policy"> in `html`, or null. */
export function metaPolicy(html) {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  return m ? m[1] : null;
}

/** The header for a page whose policy is `policy`, embeddable by `ancestors`. */
export const headerPolicy = (policy, ancestors = DEFAULT_FRAME_ANCESTORS) => `${policy}; frame-ancestors ${ancestors}`;

/** The simulator's page in the site (the walk-through, index.html, links to it: www/walk/sections.js labPage). */
export const LAB_PAGE = 'lab.html';
/** The page whose policy every file of the site but the pages has: the simulator's (its worker runs under it). */
export const SITE_POLICY_PAGE = LAB_PAGE;

/** The policy of every file of the site but its own pages: SITE_POLICY_PAGE's, whose HTML is `labHtml`. */
export function sitePolicy(labHtml) {
  const policy = metaPolicy(labHtml);
  if (!policy) throw new Error(`${SITE_POLICY_PAGE} has no Content-Security-Policy meta tag`);
  return policy;
}
