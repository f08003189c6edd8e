/** The shell around the phone (the page at /), which plays WeChat's native parts. */
import { type PreviewHost } from '../protocol';

export function host(): PreviewHost {
  const found = window.parent !== window ? window.parent.__wxPreviewHost : undefined;
  if (!found) throw new Error('the phone frame runs inside the preview page: open / instead of /preview/phone.html');
  return found;
}

/** The openid this phone is signed in as (the shell's user switcher puts it in the frame's URL). */
export function currentOpenid(): string {
  return new URLSearchParams(window.location.search).get('openid') ?? '';
}
