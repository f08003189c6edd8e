/** The police console's entry: one client for the session, one React root. */
// tdesign-react's plugins (messages, dialogs) render through React 19's createRoot only with this adapter
import 'tdesign-react/es/_util/react-19-adapter';
import { createRoot } from 'react-dom/client';
// TDesign's design tokens (colours, fonts, radii); each component brings its own rules
import 'tdesign-react/es/style/index.css';
import './console.css';
import { ConsoleClient } from './api';
import { App } from './app';

const root = document.getElementById('root');
if (root !== null) createRoot(root).render(<App client={new ConsoleClient({ storage: window.sessionStorage })} />);
