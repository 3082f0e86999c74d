-- AlterTable
ALTER TABLE "reviews" ADD COLUMN     "helpful_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reply_content" TEXT,
ADD COLUMN     "reply_created_at" TIMESTAMPTZ(3),
ADD COLUMN     "reply_updated_at" TIMESTAMPTZ(3),
ADD COLUMN     "unhelpful_count" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "seller_reviews" ADD COLUMN     "reply_content" TEXT,
ADD COLUMN     "reply_created_at" TIMESTAMPTZ(3),
ADD COLUMN     "reply_updated_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "review_votes" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "review_id" UUID NOT NULL,
    "voter_hash" TEXT NOT NULL,
    "helpful" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "review_votes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "review_votes_client_id_voter_hash_idx" ON "review_votes"("client_id", "voter_hash");

-- CreateIndex
CREATE UNIQUE INDEX "review_votes_review_id_voter_hash_key" ON "review_votes"("review_id", "voter_hash");

-- CreateIndex
CREATE INDEX "reviews_client_id_product_sku_status_helpful_count_created__idx" ON "reviews"("client_id", "product_sku", "status", "helpful_count", "created_at", "id");

-- CreateIndex
CREATE INDEX "reviews_client_id_status_helpful_count_created_at_id_idx" ON "reviews"("client_id", "status", "helpful_count", "created_at", "id");

-- AddForeignKey
ALTER TABLE "review_votes" ADD CONSTRAINT "review_votes_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_votes" ADD CONSTRAINT "review_votes_review_id_fkey" FOREIGN KEY ("review_id") REFERENCES "reviews"("id") ON DELETE CASCADE ON UPDATE CASCADE;
