// The content feature's GraphQL types: reviews, questions, seller reviews, their lists, rating summaries
// and the mutations that write and moderate them.
import './rating-summary.graphql.ts';
import './content.graphql.ts';
import './content-lists.graphql.ts';
import './review.graphql.ts';
import './question.graphql.ts';
import './seller-review.graphql.ts';
import './review-mutations.graphql.ts';
import './replies.graphql.ts';
import './votes.graphql.ts';
