// Worker state changes are logged at INFO, and every failed activity and workflow at WARN: the tests
// provoke dozens of failures on purpose and assert on them, so only errors are worth printing here.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('ERROR') });
