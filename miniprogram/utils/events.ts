/**
 * What the pages' handlers read from WeChat's events: the tapped element's `data-*` and the component's detail.
 * Structural on purpose: WeChat does not type-check a template's bindings against these, so each says what it reads.
 */
export interface DatasetEvent<Dataset> {
  readonly currentTarget: { readonly dataset: Partial<Dataset> };
}

export interface DetailEvent<Detail, Dataset = Record<string, never>> extends DatasetEvent<Dataset> {
  readonly detail: Detail;
}

/** TDesign's t-input: `change` with the current text. */
export type InputChangeEvent = DetailEvent<{ value: string }>;

/** TDesign's t-checkbox (no group): `change` with the new state. */
export type CheckboxChangeEvent<Dataset = Record<string, never>> = DetailEvent<{ checked: boolean }, Dataset>;

/** TDesign's t-radio-group, t-tabs: `change` with the chosen value. */
export type ValueChangeEvent<Value> = DetailEvent<{ value: Value }>;
