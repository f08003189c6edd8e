/** 设施报障. */
import { Card } from 'tdesign-react';
import type { ConsoleClient } from '../api';

export function FaultsScreen(_props: { readonly client: ConsoleClient }) {
  return <Card title="设施报障" bordered />;
}
