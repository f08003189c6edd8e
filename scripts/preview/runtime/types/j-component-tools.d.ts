/** j-component's SelectorQuery and IntersectionObserver (both work on the real DOM), and simulate's Animation. */
// The packages export classes; only their constructors are used.
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
declare class Tool {
  constructor(first?: unknown, second?: unknown);
}
export default Tool;
