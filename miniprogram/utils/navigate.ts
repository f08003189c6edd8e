/** Navigation that never leaves a rejected promise behind. */

/** Opens `url` on top; when the page stack is full (10 pages) it replaces the current page instead. */
export function openPage(url: string): void {
  wx.navigateTo({ url, fail: () => wx.redirectTo({ url }) });
}

/** Back one page, or home when the page was opened directly (from a shared card, a scan). */
export function goBack(homeUrl: string): void {
  if (getCurrentPages().length > 1) void wx.navigateBack({ delta: 1 });
  else void wx.reLaunch({ url: homeUrl });
}
