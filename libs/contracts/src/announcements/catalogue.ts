import type { AnnouncementContract } from './define-announcement';
import { MediaNodeLoad } from './media-node.announcements';

/** Every announcement subject, for the AsyncAPI document. */
export const announcementCatalogue: readonly AnnouncementContract[] = [MediaNodeLoad];
