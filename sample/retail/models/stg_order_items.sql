with source as (

    select * from raw_order_items

),

renamed as (

    select
        order_id,
        product_id,
        quantity,
        unit_price,
        quantity * unit_price as line_amount

    from source

)

select * from renamed
