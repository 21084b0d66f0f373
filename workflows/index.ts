export { appealWorkflow } from './appeal';
export { calendarChangeWorkflow } from './calendar-change';
