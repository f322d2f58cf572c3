import { ReviewDetail } from "./review-detail.tsx";
import { ReviewQueue } from "./review-queue.tsx";

export interface ReviewRoutesProps {
  /** Request id from the route, or undefined for the queue. */
  requestId?: string;
  username: string;
}

/** Entry of the lazily loaded supervisor chunk: the queue, or one request's detail. */
export function ReviewRoutes({ requestId, username }: ReviewRoutesProps) {
  return requestId ? <ReviewDetail requestId={requestId} username={username} /> : <ReviewQueue />;
}
