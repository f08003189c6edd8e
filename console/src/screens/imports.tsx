/** 数据导入. */
import { Card } from 'tdesign-react';
import type { ConsoleClient } from '../api';

export function ImportsScreen(_props: { readonly client: ConsoleClient }) {
  return <Card title="数据导入" bordered />;
}
