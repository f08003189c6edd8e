/** exparser, WeChat's component engine (as miniprogram-simulate/j-component ship it), typed as the preview uses it. */
type Dict = Record<string, unknown>;

export interface ExparserNode {
  $$: HTMLElement | Text | null;
  id: string;
  dataset: Dict;
  parentNode: ExparserNode | null;
  childNodes: ExparserNode[];
  ownerShadowRoot: ExparserShadowRoot | null;
  shadowRoot?: ExparserShadowRoot;
  classList: { toggle(name: string, force?: boolean): void; contains(name: string): boolean };
  addListener(name: string, handler: (event: ExparserEvent) => unknown, options?: { capture?: boolean }): void;
  querySelector(selector: string): ExparserNode | null;
  triggerLifeTime(name: string, args: unknown[]): void;
  triggerPageLifeTime(name: string, args: unknown[]): void;
}

export interface ExparserShadowRoot extends ExparserNode {
  getHostNode(): ExparserNode;
}

export interface ExparserEvent {
  type: string;
  detail: unknown;
}

declare const exparser: {
  Component: {
    getComponentOptions(node: ExparserNode): { classPrefix?: string; addGlobalClass?: boolean; writeOnly?: boolean };
  };
  Element: {
    getMethodCaller(node: ExparserNode): Dict;
  };
  Event: {
    create(name: string, detail: unknown, options: Dict): ExparserEvent;
    dispatchEvent(target: ExparserNode, event: ExparserEvent): void;
  };
};
export default exparser;
