/** 退款审批. */
import { Card } from 'tdesign-react';
import type { ConsoleClient } from '../api';

export function RefundsScreen(_props: { readonly client: ConsoleClient }) {
  return <Card title="退款审批" bordered />;
}
