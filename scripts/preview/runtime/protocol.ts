/**
 * What the phone frame (the mini program's webview, an iframe) and the shell around it (the page at /, playing
 * WeChat's native parts: navigation bar, toasts, modals, the two sandboxes) say to each other. Same origin: the
 * phone calls `window.parent.__wxPreviewHost`, the shell calls `iframe.contentWindow.__wxPreviewPhone`.
 */

export interface NavigationBarState {
  title: string;
  /** A page below this one in the stack: the bar shows "back". */
  back: boolean;
  /** The only page and not the home page: the bar shows "home", as WeChat does. */
  home: boolean;
  background: string;
  textStyle: 'black' | 'white';
  loading: boolean;
  /** navigationStyle "custom": the page draws its own bar. */
  hidden: boolean;
}

export type ToastIcon = 'success' | 'error' | 'loading' | 'none';

export interface ToastOptions {
  title: string;
  icon: ToastIcon;
  duration: number;
  mask: boolean;
}

export interface ModalOptions {
  title: string;
  content: string;
  showCancel: boolean;
  cancelText: string;
  cancelColor: string;
  confirmText: string;
  confirmColor: string;
  editable: boolean;
  placeholderText: string;
}

export interface ModalResult {
  confirm: boolean;
  cancel: boolean;
  content?: string;
}

/** The face scan's outcome as the person in front of the camera decides it. */
export type FaceAnswer = 'pass' | 'fail' | 'cancel';

/** WeChat Pay's outcome as the payer decides it. */
export type PayAnswer = 'SUCCESS' | 'FAIL' | 'cancel';

export interface PaySheet {
  outTradeNo: string;
  /** In fen, from the order the page created; null when the preview did not see it. */
  amount: number | null;
}

export interface ShareCard {
  title: string;
  path: string;
}

export interface ChoiceSheet {
  /** Names the dialog for tests (`data-test`). */
  id: string;
  title: string;
  text: string;
  /** Extra lines in small type (template ids, coordinates). */
  meta: string[];
  choices: { id: string; label: string; primary?: boolean }[];
}

/** A ChoiceSheet with a text field above the choices (what the camera sees). */
export interface InputSheet extends ChoiceSheet {
  input: { placeholder: string; value: string };
}

export interface TabBarState {
  color: string;
  selectedColor: string;
  backgroundColor: string;
  items: { pagePath: string; text: string }[];
  /** Index of the tab shown, or -1 when the top page is not a tab. */
  selected: number;
}

export interface PreviewHost {
  setNavigationBar(state: NavigationBarState): void;
  setTabBar(state: TabBarState | null): void;
  showToast(options: ToastOptions): void;
  hideToast(): void;
  showLoading(title: string, mask: boolean): void;
  hideLoading(): void;
  showModal(options: ModalOptions): Promise<ModalResult>;
  /** Resolves with the tapped index, or null when cancelled. */
  showActionSheet(items: string[], itemColor: string, alertText: string): Promise<number | null>;
  faceSandbox(verifyId: string): Promise<FaceAnswer>;
  paySandbox(sheet: PaySheet): Promise<PayAnswer>;
  shareSandbox(card: ShareCard): void;
  /** A WeChat-only sheet (subscribe, location, map): the person picks one choice; resolves with its id, or null. */
  choiceSandbox(sheet: ChoiceSheet): Promise<string | null>;
  /** The same with a text field: resolves with the choice and the text typed, or null when cancelled. */
  inputSandbox(sheet: InputSheet): Promise<{ choice: string; text: string } | null>;
  /** A wx API, built-in component or feature the preview does not have was used: say so where a person looks. */
  reportUnsupported(what: string, detail: string): void;
  /** An uncaught error in the mini program's code. */
  reportError(message: string): void;
  /** Something a person should know about this preview session that is not an error (shown beside the phone). */
  note(key: string, text: string): void;
  /** The top page changed (route + raw query), for the address bar and the page label. */
  pageChanged(route: string, query: string): void;
}

export interface PreviewPhone {
  back(): void;
  home(): void;
  switchTab(pagePath: string): void;
  reLaunch(url: string): void;
}

declare global {
  interface Window {
    __wxPreviewHost?: PreviewHost;
    __wxPreviewPhone?: PreviewPhone;
    /** Every page's setData since the phone started, for the screenshots' size check. */
    __wxPreviewSetData?: SetDataRecord[];
  }
}

/** Demo-account openids are [\w-]{1,64}, as the local cloud checks X-WX-OPENID. */
export const OPENID_PATTERN = /^[\w-]{1,64}$/;

/** Width of the phone's screen in CSS pixels: 750 rpx = 375 px, an iPhone's width. */
export const SCREEN_WIDTH = 375;

/** `width=<px>` on the preview's URL plays a narrower or wider phone (320 px: the smallest WeChat still serves). */
export function screenWidthOf(search: string): number {
  const asked = Number(new URLSearchParams(search).get('width'));
  return Number.isInteger(asked) && asked >= 320 && asked <= 430 ? asked : SCREEN_WIDTH;
}

/** One page's setData as the view would receive it: JSON bytes (UTF-8) and the keys it set. */
export interface SetDataRecord {
  readonly route: string;
  /** Which opening of the page (each navigateTo / redirectTo is a new page instance). */
  readonly visit: number;
  /** 'initial' for the page's data when it is created, 'setData' for each call after. */
  readonly kind: 'initial' | 'setData';
  readonly bytes: number;
  readonly keys: readonly string[];
}
