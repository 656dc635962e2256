import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

const require = createRequire(import.meta.url);

/** The fonts bull-board's page asks Google for, and the @fontsource packages that carry them. */
const FONTS = [
  { family: 'ibm-plex-sans', weights: [400, 500, 600] },
  { family: 'ibm-plex-mono', weights: [400, 500] },
] as const;

/** bull-board's link to Google Fonts (the one third-party request its page makes). */
const GOOGLE_FONTS_LINK = /<link href="https:\/\/fonts\.googleapis\.com\/[^"]*" rel="stylesheet">/;

/** The same faces, served by the dashboard itself, relative to the board's base path. */
const LOCAL_FONT_LINKS = FONTS.flatMap(({ family, weights }) =>
  weights.map((weight) => `<link href="fonts/${family}/${weight}.css" rel="stylesheet">`),
).join('');

/**
 * Serves the page's fonts from the dashboard, so the page works on a machine without internet
 * and an operator's visit is not reported to a third party: the @fontsource packages' CSS and
 * font files under `fonts/`, and a rewrite of the page's Google Fonts link to them.
 */
export function selfHostedFonts(): {
  readonly files: Router;
  readonly rewritePage: RequestHandler;
} {
  const files = express.Router();
  for (const { family } of FONTS) {
    const directory = dirname(require.resolve(`@fontsource/${family}/package.json`));
    files.use(`/fonts/${family}`, express.static(directory, { immutable: true, maxAge: '30d' }));
  }
  // bull-board renders its page with res.render: the rendered HTML is rewritten on its way out.
  const rewritePage: RequestHandler = (_request, response, next) => {
    const render = response.render.bind(response);
    response.render = ((view: string, options?: object) => {
      render(view, options ?? {}, (error: Error | null, html: string) => {
        if (error !== null) {
          next(error);
          return;
        }
        response.send(html.replace(GOOGLE_FONTS_LINK, LOCAL_FONT_LINKS));
      });
    }) as typeof response.render;
    next();
  };
  return { files, rewritePage };
}
