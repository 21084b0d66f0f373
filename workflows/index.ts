export { appealWorkflow } from './appeal';
