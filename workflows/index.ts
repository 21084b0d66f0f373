export { appealWorkflow } from './appeal';
export { calendarChangeWorkflow } from './calendar-change';
export { checkpointWorkflow } from './checkpoint';
