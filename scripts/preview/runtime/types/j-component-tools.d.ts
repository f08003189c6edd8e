/** j-component's SelectorQuery and IntersectionObserver (both work on the real DOM), and simulate's Animation. */
declare class Tool {
  constructor(first?: unknown, second?: unknown);
}
export default Tool;
