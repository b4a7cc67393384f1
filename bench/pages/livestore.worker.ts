// LiveStore's leader worker for the benchmark page, as its docs write it.
import { makeWorker } from '@livestore/adapter-web/worker';
import { schema } from './livestore-schema.ts';

makeWorker({ schema });
