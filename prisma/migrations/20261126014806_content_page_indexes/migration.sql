-- DropIndex
DROP INDEX "questions_client_id_product_sku_status_created_at_idx";

-- DropIndex
DROP INDEX "questions_client_id_status_created_at_idx";

-- DropIndex
DROP INDEX "reviews_client_id_product_sku_status_created_at_idx";

-- DropIndex
DROP INDEX "reviews_client_id_status_created_at_idx";

-- DropIndex
DROP INDEX "seller_reviews_client_id_status_created_at_idx";

-- CreateIndex
CREATE INDEX "questions_client_id_product_sku_status_created_at_id_idx" ON "questions"("client_id", "product_sku", "status", "created_at", "id");

-- CreateIndex
CREATE INDEX "questions_client_id_status_created_at_id_idx" ON "questions"("client_id", "status", "created_at", "id");

-- CreateIndex
CREATE INDEX "reviews_client_id_product_sku_status_created_at_id_idx" ON "reviews"("client_id", "product_sku", "status", "created_at", "id");

-- CreateIndex
CREATE INDEX "reviews_client_id_product_sku_status_rating_idx" ON "reviews"("client_id", "product_sku", "status", "rating");

-- CreateIndex
CREATE INDEX "reviews_client_id_status_created_at_id_idx" ON "reviews"("client_id", "status", "created_at", "id");

-- CreateIndex
CREATE INDEX "seller_reviews_client_id_status_created_at_id_idx" ON "seller_reviews"("client_id", "status", "created_at", "id");
