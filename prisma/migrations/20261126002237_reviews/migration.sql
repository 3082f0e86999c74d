-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('PENDING', 'PUBLISHED', 'REJECTED');

-- CreateTable
CREATE TABLE "reviews" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "product_sku" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "author_nick" TEXT NOT NULL,
    "author_email" TEXT NOT NULL,
    "customer_id" UUID,
    "order_item_id" UUID,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "status" "ReviewStatus" NOT NULL DEFAULT 'PENDING',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "questions" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "product_sku" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "author_nick" TEXT NOT NULL,
    "author_email" TEXT NOT NULL,
    "customer_id" UUID,
    "answer" TEXT,
    "answered_at" TIMESTAMPTZ(3),
    "status" "ReviewStatus" NOT NULL DEFAULT 'PENDING',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "questions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "seller_reviews" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "rating" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "author_nick" TEXT NOT NULL,
    "author_email" TEXT NOT NULL,
    "customer_id" UUID,
    "order_id" UUID,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "status" "ReviewStatus" NOT NULL DEFAULT 'PENDING',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "seller_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reviews_client_id_product_sku_status_created_at_idx" ON "reviews"("client_id", "product_sku", "status", "created_at");

-- CreateIndex
CREATE INDEX "reviews_client_id_status_created_at_idx" ON "reviews"("client_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "reviews_client_id_author_email_idx" ON "reviews"("client_id", "author_email");

-- CreateIndex
CREATE INDEX "reviews_customer_id_idx" ON "reviews"("customer_id");

-- CreateIndex
CREATE INDEX "reviews_order_item_id_idx" ON "reviews"("order_item_id");

-- CreateIndex
CREATE INDEX "questions_client_id_product_sku_status_created_at_idx" ON "questions"("client_id", "product_sku", "status", "created_at");

-- CreateIndex
CREATE INDEX "questions_client_id_status_created_at_idx" ON "questions"("client_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "questions_client_id_author_email_idx" ON "questions"("client_id", "author_email");

-- CreateIndex
CREATE INDEX "questions_customer_id_idx" ON "questions"("customer_id");

-- CreateIndex
CREATE INDEX "seller_reviews_client_id_status_created_at_idx" ON "seller_reviews"("client_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "seller_reviews_client_id_author_email_idx" ON "seller_reviews"("client_id", "author_email");

-- CreateIndex
CREATE INDEX "seller_reviews_customer_id_idx" ON "seller_reviews"("customer_id");

-- CreateIndex
CREATE INDEX "seller_reviews_order_id_idx" ON "seller_reviews"("order_id");

-- AddForeignKey
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_client_id_product_sku_fkey" FOREIGN KEY ("client_id", "product_sku") REFERENCES "products"("client_id", "sku") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_order_item_id_fkey" FOREIGN KEY ("order_item_id") REFERENCES "order_items"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "questions" ADD CONSTRAINT "questions_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "questions" ADD CONSTRAINT "questions_client_id_product_sku_fkey" FOREIGN KEY ("client_id", "product_sku") REFERENCES "products"("client_id", "sku") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "questions" ADD CONSTRAINT "questions_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seller_reviews" ADD CONSTRAINT "seller_reviews_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seller_reviews" ADD CONSTRAINT "seller_reviews_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seller_reviews" ADD CONSTRAINT "seller_reviews_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE SET NULL ON UPDATE CASCADE;
