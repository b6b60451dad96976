with orders as (

    select * from stg_orders

    where status <> 'cancelled'

),

items as (

    select * from stg_order_items

),

products as (

    select * from stg_products

),

order_lines as (

    select
        items.order_id,
        items.product_id,
        orders.customer_id,
        orders.channel,
        orders.order_date,
        products.category,
        items.quantity,
        items.unit_price,
        products.list_price,
        items.line_amount,

        -- Positive when the line was sold below the catalog's list price.
        (products.list_price - items.unit_price) * items.quantity as discount_amount

    from items

    inner join orders
        on items.order_id = orders.order_id

    inner join products
        on items.product_id = products.product_id

)

select * from order_lines
