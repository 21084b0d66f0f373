export { AppealDeadlineEntity, AppealEntity } from './appeal';
export { ArbiterEntity } from './arbiter';
export { DecisionEntity } from './decision';
export { DepartmentEntity, PolicyVersionEntity } from './department';
export { NotificationEntity } from './notification';
export { TimelineEventEntity } from './timeline-event';
