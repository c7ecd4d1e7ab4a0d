/**
 * The font deck.gl draws district names in, and when it may draw them. The TextLayer rasterises each
 * character once into a font atlas that deck.gl caches by font family, weight and size; a name drawn
 * before the served font had loaded would keep its fallback glyphs (boxes on a PC without a CJK font)
 * for as long as the page stays open, which on a wall is weeks. So names wait until the served font
 * is loaded for their characters, and are drawn with a different family string, hence another atlas,
 * if it does not come.
 */
import { useEffect, useState } from 'react';

/** The family that client/src/main.tsx serves (@fontsource/noto-sans-sc): the same glyphs on every screen. */
export const SERVED_CJK_FAMILY = 'Noto Sans SC';

/** What Debian, Windows and macOS wall PCs may have, for when the served font cannot be loaded. */
export const SYSTEM_CJK_FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

/** District names: the served font, then the system's. */
export const LABEL_FONT_FAMILY = `"${SERVED_CJK_FAMILY}", ${SYSTEM_CJK_FONTS}`;

/** Without the served family, so an atlas drawn while it is missing is never mistaken for one drawn with it. */
export const LABEL_FALLBACK_FONT_FAMILY = SYSTEM_CJK_FONTS;

/** The weight names are drawn in; the served 700 answers for it (CSS picks the next heavier face). */
export const LABEL_FONT_WEIGHT = 600;

/** How long names stay undrawn waiting for the served font before the system fonts draw them. */
export const LABEL_FONT_WAIT_MS = 4_000;

/**
 * Loads the served font's slices (unicode-range) for `text` at the label weight; true once they are
 * loaded, false when the page has no served font or a slice failed. deck.gl also measures "A" for
 * the line's ascent, so that slice is loaded too.
 */
export async function loadLabelFont(text: string, fonts: FontFaceSet = document.fonts): Promise<boolean> {
  const font = `${LABEL_FONT_WEIGHT} 64px "${SERVED_CJK_FAMILY}"`;
  const sample = `A${text}`;
  try {
    const faces = await fonts.load(font, sample);
    return faces.some((face) => face.status === 'loaded');
  } catch {
    return false; // a slice that failed to download: the system fonts draw the names
  }
}

/**
 * The family to draw `text` (all the names, joined) with, or null while the served font is still
 * loading for it. It turns from the fallback to the served family if the font arrives after the
 * wait, so the layer, built anew with the new family, draws a fresh atlas.
 */
export function useLabelFontFamily(text: string, waitMs = LABEL_FONT_WAIT_MS): string | null {
  const [settled, setSettled] = useState<{ text: string; family: string } | null>(null);
  useEffect(() => {
    let active = true;
    const settle = (family: string) => {
      if (active) setSettled({ text, family });
    };
    const wait = setTimeout(() => settle(LABEL_FALLBACK_FONT_FAMILY), waitMs);
    void loadLabelFont(text).then((loaded) => {
      clearTimeout(wait);
      settle(loaded ? LABEL_FONT_FAMILY : LABEL_FALLBACK_FONT_FAMILY);
    });
    return () => {
      active = false;
      clearTimeout(wait);
    };
  }, [text, waitMs]);
  return settled?.text === text ? settled.family : null;
}
