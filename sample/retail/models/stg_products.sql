with source as (

    select * from raw_products

),

renamed as (

    select
        id as product_id,
        name as product_name,
        category,
        unit_price as list_price

    from source

)

select * from renamed
