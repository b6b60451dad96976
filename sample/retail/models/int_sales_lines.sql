with online_lines as (

    select
        channel,
        order_id as sale_id,
        customer_id,
        order_date as sold_on,
        product_id,
        quantity,
        line_amount

    from int_order_lines

),

store_lines as (

    select
        'store' as channel,
        sale_id,
        customer_id,
        sold_on,
        product_id,
        quantity,
        line_amount

    from stg_store_sales

),

all_lines as (

    select * from online_lines

    union all

    select * from store_lines

)

select * from all_lines
