with source as (

    select * from raw_returns

),

renamed as (

    select
        order_id,
        product_id,
        returned_on,
        quantity as returned_quantity,
        reason as return_reason

    from source

)

select * from renamed
