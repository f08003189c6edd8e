// The snapshot a certificate froze (rows + violations by kind), as the detail and verify pages both show it.
import { type SnapshotView } from '../../snapshot';

const EMPTY: SnapshotView = { rows: [], violations: '', kinds: [], note: '' };

Component({
  properties: {
    /** snapshotView(certificate.snapshot). */
    view: { type: Object, value: EMPTY },
  },
});
