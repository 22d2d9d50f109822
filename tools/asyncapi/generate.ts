/** `npm run asyncapi`: regenerates docs/asyncapi.{json,yaml} from libs/contracts. */
import { writeFileSync } from 'node:fs';
import { ASYNCAPI_FILES, currentAsyncApiDocument, renderAsyncApiFiles } from './asyncapi-files';

const rendered = renderAsyncApiFiles(currentAsyncApiDocument());
writeFileSync(ASYNCAPI_FILES.json, rendered.json);
writeFileSync(ASYNCAPI_FILES.yaml, rendered.yaml);
console.log(`wrote ${ASYNCAPI_FILES.json} and ${ASYNCAPI_FILES.yaml}`);
