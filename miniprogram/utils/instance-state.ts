/**
 * Per-instance state that is not rendered (cursors, in-flight flags, the full lists behind a paged view): kept off
 * `data` so setData never ships it to the view layer. Component() has no typed slot for such fields, so each page
 * keeps them in a WeakMap keyed by its instance.
 */
export function instanceState<S extends object>(init: () => S): (instance: object) => S {
  const states = new WeakMap<object, S>();
  return (instance) => {
    let state = states.get(instance);
    if (state === undefined) {
      state = init();
      states.set(instance, state);
    }
    return state;
  };
}
