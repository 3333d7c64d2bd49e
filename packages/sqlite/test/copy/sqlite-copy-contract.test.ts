import { describeCopyAdapterContract } from '@privacy-kit/core/testing';
import { TempFiles, sqliteCopyHarness } from './sqlite-copy-harness';

describeCopyAdapterContract('SQLite', sqliteCopyHarness(new TempFiles()));
