/** The pure rules shared by the mini program and the cloud functions. No wx, no Node, no I/O. */
export * from './errors';
export * from './dates';
export * from './id-number';
export * from './plate';
export * from './licence';
export * from './scoring-cycle';
export * from './eligibility';
export * from './fees';
export * from './decision-number';
export * from './api';
export * from './validation';
export * from './events';
export * from './quotas';
export * from './geo';
export * from './city-services';
