with source as (

    select * from raw_store_sales

),

renamed as (

    select
        id as sale_id,
        store as store_name,
        customer_id,
        sold_at,
        cast(sold_at as date) as sold_on,
        product_id,
        quantity,
        unit_price,
        quantity * unit_price as line_amount

    from source

)

select * from renamed
