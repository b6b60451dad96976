-- The three event kinds list their columns in different orders, and sign-ups
-- have no channel. UNION BY NAME matches columns by name and fills a column
-- that a branch lacks with NULL.
with sign_ups as (

    select
        customer_id,
        signed_up_on as event_on,
        'sign_up' as event_type,
        customer_id as reference_id

    from stg_customers

),

online_orders as (

    select
        order_date as event_on,
        customer_id,
        'online_order' as event_type,
        order_id as reference_id,
        channel

    from stg_orders

    where status <> 'cancelled'

),

store_purchases as (

    select
        customer_id,
        sold_on as event_on,
        'store_purchase' as event_type,
        sale_id as reference_id,
        'store' as channel

    from stg_store_sales

    where customer_id is not null

)

select * from sign_ups

union all by name

select * from online_orders

union all by name

select * from store_purchases
