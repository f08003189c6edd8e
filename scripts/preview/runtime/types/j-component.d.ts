/** j-component (miniprogram-simulate's renderer), typed as the preview uses it. */
import type { ExparserNode } from './miniprogram-exparser';

type Dict = Record<string, unknown>;

export interface RootComponent {
  readonly dom: HTMLElement;
  readonly instance: Dict;
  readonly _exparserNode: ExparserNode;
  attach(parent: Element): void;
  detach(): void;
  triggerPageLifeTime(name: string, ...args: unknown[]): void;
}

declare const jComponent: {
  register(definition: Dict): string;
  behavior(definition: Dict): string;
  create(id: string, properties?: Dict): RootComponent | undefined;
};
export default jComponent;
