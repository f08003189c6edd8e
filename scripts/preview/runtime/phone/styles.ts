/**
 * WXSS as wcsc compiled it (styles.js), turned into CSS the way WeChat's webview does: [0, n] is n rpx scaled to the
 * screen width (750 rpx = the width; a non-zero value never rounds to 0), [1] is the component's class prefix
 * ("<prefix>--", nothing for pages and app.wxss), [2, key] inlines a shared sheet.
 */
import { screenWidthOf } from '../protocol';

const SCREEN = screenWidthOf(window.location.search);

const EPS = 1e-4;

/** WeChat's transformRPX (from wcsc's own runtime), Android rounding: a non-zero size is at least 1px. */
function rpxToPx(rpx: number, width = SCREEN): number {
  if (rpx === 0) return 0;
  const px = Math.floor((rpx / 750) * width + EPS);
  if (px === 0) return rpx < 0 ? -1 : 1;
  return px;
}

/** Inline styles (`style="width: 40rpx"`) the same way. */
export function transformInlineRpx(style: string): string {
  return style.replace(/(-?\d*\.?\d+)rpx/gi, (_, n: string) => `${rpxToPx(Number(n))}px`);
}

function makeup(pieces: readonly unknown[], suffix: string, seen: Set<string>): string {
  let css = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      css += piece;
    } else if (Array.isArray(piece)) {
      const op: unknown = piece[0];
      if (op === 0) css += `${rpxToPx(Number(piece[1]))}px`;
      else if (op === 1) css += suffix;
      else if (op === 2) {
        const key = String(piece[1]);
        const shared = __wxPreviewStyles.common[key];
        if (shared && !seen.has(key)) {
          seen.add(key);
          css += makeup(shared, suffix, seen);
        }
      }
    }
  }
  return css;
}

const injected = new Set<string>();

/**
 * Where component sheets start: app.wxss and page sheets go before it, component sheets after. WeChat's webview adds a
 * component's styles when the component is created, after its page's, so on equal specificity the component's own
 * rule wins over a page class passed in as an external class (TDesign's FAQ: page overrides need !important).
 */
function componentStart(): Element {
  let marker = document.head.querySelector('meta[name="wx-component-styles"]');
  if (!marker) {
    marker = document.createElement('meta');
    marker.setAttribute('name', 'wx-component-styles');
    document.head.appendChild(marker);
  }
  return marker;
}

/** Adds the sheet compiled from `file` (e.g. "app.wxss") once; `prefix` '' for app.wxss and pages (global classes). */
export function injectStyle(file: string, prefix: string, kind: 'page' | 'component'): void {
  const key = `${file}\0${prefix}`;
  if (injected.has(key)) return;
  injected.add(key);
  const sheet = __wxPreviewStyles.files[file];
  if (!sheet) throw new Error(`no compiled WXSS for ${file} (run npm run build)`);
  const style = document.createElement('style');
  style.setAttribute('data-wxss', file);
  style.textContent = makeup(sheet.pieces, prefix ? `${prefix}--` : '', new Set());
  const marker = componentStart();
  if (kind === 'page') document.head.insertBefore(style, marker);
  else document.head.appendChild(style);
}
